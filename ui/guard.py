"""Widget values from the browser are checked before Streamlit deserializes them.

Any client can send any widget state over the websocket. Streamlit 1.67 deserializes a value in
whatever field it arrives (a string for a multiselect, text that is not JSON for the map's
component) and then records that field as the widget's type: the first raises in json.loads
before our script even starts, the second in Streamlit's own serializer while the widget is
drawn. Both end in the generic error page. Here a value sent in another field than the widget's
own, or JSON that does not parse, is not stored: as if never sent, the widget keeps its value, and
the view's own checks (ui.state) deal with values that are well-formed but not offered.

Patches two methods of the pinned Streamlit (`WStates.set_widget_from_proto`, where each state a
browser sends is stored, and `SessionState._set_widget_metadata`, where a widget drawn for the first
time in a session meets what was stored for it); tests/e2e/test_forged_widgets.py checks both.
"""

from __future__ import annotations

import json

from streamlit.proto.WidgetStates_pb2 import WidgetState as WidgetStateProto
from streamlit.runtime.state import session_state

# The fields of the widgets this app draws; triggers (buttons) and uploads are left as they are.
CHECKED_FIELDS = frozenset({"string_value", "string_array_value", "bool_value", "int_value", "double_value",
                            "json_value", "int_array_value", "double_array_value"})
_UNGUARDED_SET = session_state.WStates.set_widget_from_proto
_UNGUARDED_REGISTER = session_state.SessionState._set_widget_metadata


def acceptable(state: WidgetStateProto, registered_field: str | None) -> bool:
    """Whether a browser's widget state can be stored: in the widget's own field, and JSON where JSON is due."""
    sent = state.WhichOneof("value")
    if registered_field in CHECKED_FIELDS and sent != registered_field:
        return False
    if sent == "json_value":
        try:
            json.loads(state.json_value)
        except ValueError:
            return False
    return True


def _checked_set(self: session_state.WStates, state: WidgetStateProto) -> None:
    metadata = self.widget_metadata.get(state.id)
    if acceptable(state, metadata.value_type if metadata else None):
        _UNGUARDED_SET(self, state)


def _checked_register(self: session_state.SessionState, metadata: session_state.WidgetMetadata) -> None:
    """A session's first message arrives before its widgets are drawn: check what it sent once they are
    (as Streamlit itself drops a disabled widget's value at this point)."""
    _UNGUARDED_REGISTER(self, metadata)
    widgets = self._new_widget_state
    stored = widgets.states.get(metadata.id)
    if isinstance(stored, session_state.Serialized) and not acceptable(stored.value, metadata.value_type):
        del widgets.states[metadata.id]


def install() -> None:
    """Idempotent: every run of the entry point calls it; the first one in the process patches."""
    session_state.WStates.set_widget_from_proto = _checked_set
    session_state.SessionState._set_widget_metadata = _checked_register
