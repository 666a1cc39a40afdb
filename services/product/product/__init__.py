"""Product service: the catalogue of products that can be put in a basket."""
