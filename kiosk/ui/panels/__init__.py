"""The side and quotation panels: event, quotation, person, credits, and the parts they share."""
