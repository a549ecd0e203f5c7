"""POST data for the edit pages, as a browser would send it."""

from copil.plan.forms import PART_FORMSETS

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def action_data(action, **overrides) -> dict:
    data = {
        "version": action.version,
        "title": action.title,
        "shared_diagnosis": action.shared_diagnosis,
        "operational_objectives": action.operational_objectives,
        "target_audiences": action.target_audiences,
        "description": action.description,
        "expected_results": action.expected_results,
        "schedule": action.schedule,
        "status": action.status,
        "progress": action.progress,
        "start_date": action.start_date or "",
        "end_date": action.end_date or "",
    }
    return data | overrides


def parts_data(action) -> dict:
    """Every existing row of every part, unchanged; no new row."""
    data = {}
    for part, (_title, _row, formset_class) in PART_FORMSETS.items():
        formset = formset_class(instance=action, prefix=part)
        forms = formset.initial_forms
        data |= {
            f"{part}-TOTAL_FORMS": len(forms),
            f"{part}-INITIAL_FORMS": len(forms),
            f"{part}-MIN_NUM_FORMS": 0,
            f"{part}-MAX_NUM_FORMS": 1000,
        }
        for form in forms:
            for name in form.fields:
                if name == "DELETE":
                    continue
                value = form[name].value()
                data[form.add_prefix(name)] = "" if value is None else value
    return data
