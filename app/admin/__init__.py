"""Running Ons Plan for a municipality: its organisations and their staff, the first functional manager
(`flask admin bootstrap`), and the access log's integrity for auditors."""
