# runtime: static-only
# Measured with the TensorFlow backend (docs/measurements/issue13_reported_failures.py, TEXT a,
# b; Keras 3.15.1 + TensorFlow 2.16.2): load-fails, "Could not locate function
# 'lower_only'". TextVectorization needs TensorFlow, which the verifier does not have here.
import keras
import tensorflow as tf


def lower_only(text):
    return tf.strings.lower(text)


def build_model():
    vectorize = keras.layers.TextVectorization(max_tokens=20, standardize=lower_only)  # expect: KS302
    vectorize.adapt(["Hello World", "hello there"])
    return keras.Sequential([keras.Input((1,), dtype="string"), vectorize])
