"""Load the iris data set that ships with assignment 06 (``iris.csv`` in this folder).

    from iris import load_iris
    X, y = load_iris()        # X: float64 (150, 4), y: int (150,) with classes 0, 1, 2

The CSV's first line is a header ``150,4,setosa,versicolor,virginica`` (samples, features,
class names); every other line holds the four measurements in cm (sepal length, sepal width,
petal length, petal width) and the class number.
"""

from pathlib import Path

import numpy as np

CLASS_NAMES = ("setosa", "versicolor", "virginica")
FEATURE_NAMES = ("sepal length (cm)", "sepal width (cm)", "petal length (cm)", "petal width (cm)")
HERE = Path(__file__).resolve().parent


def load_iris(path=None):
    """``(X, y)``: ``X`` float64 of shape (150, 4), ``y`` int of shape (150,), classes 0..2.

    ``path`` defaults to the ``iris.csv`` next to this file.
    """
    path = HERE / "iris.csv" if path is None else Path(path)
    data = np.loadtxt(path, delimiter=",", skiprows=1, dtype=float)
    X = data[:, :4].astype(np.float64)
    y = data[:, 4].astype(np.int64)
    return X, y


if __name__ == "__main__":
    X, y = load_iris()
    print(X.shape, y.shape, np.bincount(y))
