"""policykg: a knowledge graph of China's carbon-peaking and carbon-neutrality policies."""

__version__ = "0.1.0"
