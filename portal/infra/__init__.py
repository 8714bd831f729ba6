"""Infrastructure: the database, file storage, PDF rendering, mail and migrations."""
