"""Basket service: each user's basket, and its checkout into a CheckoutBasket event."""
