"""resume-griller ML module: data, LoRA training, evaluation and local inference for resumes and interviews."""

__version__ = "0.1.0"
