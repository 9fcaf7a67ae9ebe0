import numpy as np

WEIGHTS = np.loadtxt("weights.txt")  # a file that is not part of the submission


def sigmoid(z):
    return z
