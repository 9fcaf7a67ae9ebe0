import numpy as np
import torch  # not available in the course


def sigmoid(z):
    return torch.sigmoid(z)
