"""The family's rights over its dossier under the Jeugdwet (issue 22): what exists about a person ("Mijn gegevens")."""
