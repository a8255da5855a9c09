"""The Pulumi program's components: a secure bucket, the object processor, and their wiring."""
