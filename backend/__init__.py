"""Backend of the interview-practice product: its one door to a model lives in ``app.services.llm_service``."""
