"""Order service: orders made from CheckoutBasket events, and order queries."""
