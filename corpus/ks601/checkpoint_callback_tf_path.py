# runtime: save-fails
import keras


class EpochCheckpoint(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        self.model.save(f"checkpoints/epoch_{epoch}.tf")  # expect: KS601
