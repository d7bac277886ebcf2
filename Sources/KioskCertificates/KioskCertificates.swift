// Certificates: templates, rendering, the signed QR payload and the audit chain.
