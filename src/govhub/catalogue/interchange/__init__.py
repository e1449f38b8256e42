"""Interchange formats of the catalogue: publiccode.yml and Digital Public Goods imports,
ADMS-AP (RDF) and publiccode.yml exports."""
