"""What is collected: form definitions, their loader and model, and the validation rules. Standard library only."""
