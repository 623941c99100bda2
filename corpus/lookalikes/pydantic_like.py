# runtime: ok
"""pydantic-style BaseModel with get_config/from_config-ish names: not Keras."""


class BaseModel:
    def __init__(self, **data):
        for key, value in data.items():
            setattr(self, key, value)

    def get_config(self):
        return dict(vars(self))


class TrainConfig(BaseModel):
    def __init__(self, optimizer, schedule=None, **data):
        super().__init__(optimizer=optimizer, schedule=schedule, **data)

    def get_config(self):
        return {"optimizer": self.optimizer, "schedule": self.schedule}


class Model(BaseModel):
    def __init__(self, units, layer=None):
        super().__init__(units=units, layer=layer)


def example():
    return TrainConfig(optimizer=Model(4), schedule=lambda step: 0.1)
