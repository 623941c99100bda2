# ruff: noqa
"""Audio classification: a log-mel spectrogram layer in front of a CNN."""
import librosa
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers

SAMPLE_RATE = 16000
N_MELS = 32
FRAME_LENGTH = 256
FRAME_STEP = 128


class LogMelSpectrogram(layers.Layer):
    def __init__(self, sample_rate, fft_size, hop_size, n_mels, **kwargs):
        super().__init__(**kwargs)
        self.sample_rate = sample_rate
        self.fft_size = fft_size
        self.hop_size = hop_size
        self.n_mels = n_mels
        self.mel_filterbank = tf.signal.linear_to_mel_weight_matrix(
            num_mel_bins=n_mels, num_spectrogram_bins=fft_size // 2 + 1,
            sample_rate=sample_rate)

    def call(self, waveforms):
        spectrograms = tf.signal.stft(waveforms, frame_length=self.fft_size,
                                      frame_step=self.hop_size, pad_end=True)
        magnitude = tf.abs(spectrograms)
        mel = tf.tensordot(magnitude, self.mel_filterbank, 1)
        return tf.math.log(mel + 1e-6)[..., None]


class SpecAugment(layers.Layer):
    def __init__(self, max_mask, **kwargs):
        super().__init__(**kwargs)
        self.max_mask = max_mask

    def call(self, x, training=None):
        if not training:
            return x
        return x * keras.ops.cast(keras.random.uniform(keras.ops.shape(x)) > 0.1, x.dtype)


def get_model():
    waveform = keras.Input(shape=(SAMPLE_RATE,))
    x = LogMelSpectrogram(SAMPLE_RATE, FRAME_LENGTH, FRAME_STEP, N_MELS)(waveform)
    x = SpecAugment(4)(x)
    x = layers.Conv2D(8, 3, activation="relu")(x)
    x = layers.GlobalAveragePooling2D()(x)
    return keras.Model(waveform, layers.Dense(10)(x))


clips = [librosa.load(f"clip_{i}.wav", sr=SAMPLE_RATE)[0] for i in range(4)]
model = get_model()
model.fit(np.stack(clips), np.zeros(4), epochs=1)
