"""The web app for the owner and marketing: log in, the inbox by urgency, a draft beside its
review, approve or edit or reject, posting, and the audit trail (FastAPI, server-rendered)."""
