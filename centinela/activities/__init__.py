"""Activities: the cantonal plan and its programmes, indicators and targets; activities with evidence; and the
kinds of activity the council runs (trainings with attendance, field operations, information campaigns), working
groups and council sessions with their resolutions."""
