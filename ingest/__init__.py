"""File → pages → passages. Nothing here touches the index; ``assistant.api`` wires it to ``vectorstore``."""
