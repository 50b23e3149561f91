"""Certificates: printable PDF documents with a QR code and a public page that verifies them."""
