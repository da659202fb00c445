"""leannet: neural networks from scratch in NumPy, with regularization you can see."""
