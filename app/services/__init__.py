"""Use cases. One module per area; each public function that writes is one transaction. No Qt."""
