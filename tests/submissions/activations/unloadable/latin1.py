import numpy as np

# résumé of the lecture
def sigmoid(z):
    return z
