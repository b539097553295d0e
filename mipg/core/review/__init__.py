"""The review workflow of figures reported by the first line and reviewed by Planeación
(progress reports and measurements): its states and transitions (``workflow``), the
services that run them for every reviewed kind (``services``), the return form
(``forms``) and the pages shared by both kinds of item (``views``)."""
