"""Partners: the institutions the council works with, their contact people, agreements (convenios) and obligations."""
