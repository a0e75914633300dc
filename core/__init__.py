"""The bottom layer: result types and error types shared by ingest/, vectorstore/ and assistant/.

It imports nothing else of the project, so every other package may import it.
"""
