"""python-docx builders for the Word documents jdtool produces."""
