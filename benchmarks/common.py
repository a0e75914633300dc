"""What the benchmark scripts share: the question list and percentiles."""

from __future__ import annotations

# The first ten are the bundled-corpus and load benchmarks' questions; scale.py uses all twenty.
QUESTIONS = [
    "Hvor mange instanser sendte inn høringssvar?",
    "Hvordan ble innspillene om digitalt utenforskap håndtert?",
    "Hvilket resultatmål dekker behovet for å bestille, flytte og avlyse timer?",
    "Hva er visjonen i strategien?",
    "Hva sa IMDi om tolketjenester?",
    "Hvorfor ble forslaget om et eget mål for kvinnehelseteknologi ikke tatt inn?",
    "What does the strategy say about standardisation?",
    "Hva skal vi oppnå frem mot 2030 under mål 3?",
    "Hvordan skal strategien følges opp?",
    "Hva mener næringsaktøren om Norsk Helsenett?",
    "Hva mener kommunene om enklere arbeidshverdag?",
    "Hvilke innspill kom om helsedata til forskning og kvalitetsforbedring?",
    "Hva sier høringssvarene om samhandling mellom sykehus og kommuner?",
    "Hvilke målindikatorer foreslås for mål 1?",
    "Hvilke høringsinstanser kunne ikke stille seg bak de strategiske målene?",
    "Hva sier strategien om informasjonssikkerhet og personvern?",
    "Hva er resultatmålene for mål 1?",
    "Hva mente pasient- og brukerorganisasjonene om digitale tjenester?",
    "Hvordan omtales finansiering av e-helse i høringen?",
    "Hvilken rolle skal næringslivet ha i gjennomføringen av strategien?",
]


def pct(values: list[float], q: float) -> float:
    """The q-quantile by nearest rank (q=0.95 for p95)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]
