"""Export a training run for serving: its LoRA adapter as is, merged into its base, or as one GGUF file.

One floor, three modules, each importing only the ones below it:

- :mod:`ml.export.merge`: the adapter merged into its base (the ``merged`` format) and :class:`ExportError`;
- :mod:`ml.export.gguf`: a merged model written as one ``.gguf`` file + an Ollama ``Modelfile``;
- :mod:`ml.export.adapter`: :func:`export` itself (every format, the model card, the atomic swap into place).

The names callers use are re-exported here: ``from ml.export import export, ExportError``.
"""

from ml.export.adapter import (
    ADAPTER_FILES,
    EXPORT_FORMATS,
    METADATA_FILE,
    TOKENIZER_FILES,
    ExportFormat,
    ExportResult,
    export,
    find_adapter,
    model_card,
)
from ml.export.gguf import GGUF_QUANTS, write_gguf_export
from ml.export.merge import ExportError, merge_adapter, write_merged

__all__ = [
    "ADAPTER_FILES",
    "EXPORT_FORMATS",
    "GGUF_QUANTS",
    "METADATA_FILE",
    "TOKENIZER_FILES",
    "ExportError",
    "ExportFormat",
    "ExportResult",
    "export",
    "find_adapter",
    "merge_adapter",
    "model_card",
    "write_gguf_export",
    "write_merged",
]
