"""Words of the query page (/query) in Spanish (first) and English; the page's script gets them as JSON."""
from __future__ import annotations

TEXT = {
    "es": {
        "title": "Consultas Cypher",
        "intro": "Consultas de solo lectura sobre el grafo de la cooperación internacional. Las consultas con nombre "
                 "no necesitan clave; su propia Cypher pide la clave de la API una vez por sesión del navegador.",
        "maps": "Mapas", "language": "English",
        "named": "Consultas con nombre", "choose": "Elija una consulta…", "params": "Parámetros",
        "no_params": "Esta consulta no tiene parámetros.", "default": "por omisión: {value}",
        "run": "Ejecutar", "share": "Enlace para compartir esta consulta", "copy_cypher": "Ver su Cypher en el editor",
        "yes": "sí", "no": "no",
        "editor": "Su propia consulta (Cypher)",
        "editor_hint": "Ctrl+Enter ejecuta. Ctrl+Espacio completa etiquetas, tipos de relación y propiedades. "
                       "Solo cláusulas de lectura (MATCH, WHERE, WITH, UNWIND, RETURN…).",
        "key_label": "Clave de la API (X-API-Key)",
        "key_hint": "Se guarda solo en esta pestaña del navegador (sessionStorage) hasta que la cierre.",
        "key_save": "Guardar y ejecutar", "key_forget": "Olvidar la clave", "key_needed": "Escriba la clave de la API para ejecutar su propia Cypher.",
        "key_wrong": "La clave de la API no es válida: escríbala de nuevo.",
        "results": "Resultados", "table": "Tabla", "graph": "Grafo",
        "rows": "{n} filas", "row": "1 fila", "took": "en {ms} ms",
        "truncated": "Solo las primeras {n} filas (límite COOPGRAPH_QUERY_MAX_ROWS).",
        "empty": "Sin resultados.", "no_graph": "La respuesta no trae nodos para dibujar.",
        "graph_counts": "{nodes} nodos y {edges} relaciones",
        "download": "Descargar", "running": "Ejecutando…",
        "history": "Historial (este navegador)", "history_empty": "Aún no hay consultas en el historial.",
        "history_clear": "Borrar historial",
        "refused": "Rechazada", "error": "Error",
        "kind_named": "con nombre", "kind_cypher": "Cypher",
    },
    "en": {
        "title": "Cypher queries",
        "intro": "Read-only queries on the international cooperation graph. Named queries need no key; your own "
                 "Cypher asks for the API key once per browser session.",
        "maps": "Maps", "language": "Español",
        "named": "Named queries", "choose": "Choose a query…", "params": "Parameters",
        "no_params": "This query has no parameters.", "default": "default: {value}",
        "run": "Run", "share": "Link to share this query", "copy_cypher": "Show its Cypher in the editor",
        "yes": "yes", "no": "no",
        "editor": "Your own query (Cypher)",
        "editor_hint": "Ctrl+Enter runs. Ctrl+Space completes labels, relationship types and properties. "
                       "Reading clauses only (MATCH, WHERE, WITH, UNWIND, RETURN…).",
        "key_label": "API key (X-API-Key)",
        "key_hint": "Kept only in this browser tab (sessionStorage) until you close it.",
        "key_save": "Save and run", "key_forget": "Forget the key", "key_needed": "Type the API key to run your own Cypher.",
        "key_wrong": "The API key is not valid: type it again.",
        "results": "Results", "table": "Table", "graph": "Graph",
        "rows": "{n} rows", "row": "1 row", "took": "in {ms} ms",
        "truncated": "Only the first {n} rows (COOPGRAPH_QUERY_MAX_ROWS).",
        "empty": "No results.", "no_graph": "The answer has no nodes to draw.",
        "graph_counts": "{nodes} nodes and {edges} relationships",
        "download": "Download", "running": "Running…",
        "history": "History (this browser)", "history_empty": "No queries in the history yet.",
        "history_clear": "Clear history",
        "refused": "Refused", "error": "Error",
        "kind_named": "named", "kind_cypher": "Cypher",
    },
}


def words(lang: str) -> dict[str, str]:
    """Every word of the page in `lang`, Spanish where English lacks one."""
    return {**TEXT["es"], **TEXT.get(lang, {})}
