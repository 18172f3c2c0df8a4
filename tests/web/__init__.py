"""Web tests: pages, API, export, admin, security and hostile input through Django's test client."""
