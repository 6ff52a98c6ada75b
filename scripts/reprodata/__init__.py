"""Build the reproduction data of Sun et al. (2017) under data/.

Two stages (see scripts/build_reproduction_data.py and data/README.md):

- ``extract`` reads the real industrial-symbiosis bibliography and the paper's
  Appendix C and writes bibliographic facts only (data/sources/);
- ``build`` reads only committed inputs and writes every other file under data/,
  deterministically for a given seed.
"""

DEFAULT_SEED = 2017
