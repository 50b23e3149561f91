"""Statistics as UNHCR and the UN define them: stocks, flows, decisions and rates, with disclosure control."""
