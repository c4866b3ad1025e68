"""A small shop: orders paid by ClicPay M-Pesa C2B or WebPag Pix, confirmed by the providers' webhooks."""

from shop.orders import Order, OrderBook

__all__ = ["Order", "OrderBook"]
