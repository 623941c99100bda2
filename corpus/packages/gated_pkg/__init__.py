"""A nested layer handed to a project base class (in another module) that stores it."""
