using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace FlinkOpsBot.FlinkSim.Cmf;

/// <summary>A SQL statement of an environment, and where it is in its life.</summary>
internal sealed class CmfStatement(CmfEnvironment environment, string name, string uid, DateTimeOffset created)
{
    public CmfEnvironment Environment { get; } = environment;
    public string Name { get; } = name;
    public string Uid { get; } = uid;
    public DateTimeOffset Created { get; } = created;
    public DateTimeOffset Updated { get; set; } = created;
    public JsonObject Metadata { get; set; } = [];

    /// <summary>The spec as posted, with CMF's defaults filled in (<c>parallelism</c> 1, <c>stopped</c> false).</summary>
    public JsonObject Spec { get; set; } = [];

    /// <summary>What the tiny SQL "compiler" made of <c>spec.statement</c>.</summary>
    public SqlCompilation Compilation { get; set; } = SqlCompilation.Failed("not compiled");

    /// <summary>When the current run was submitted: at creation, or at the last resume.</summary>
    public DateTimeOffset RunSince { get; set; } = created;

    /// <summary>When it was stopped (<c>spec.stopped</c> true); <c>null</c> while it is not.</summary>
    public DateTimeOffset? StoppedAt { get; set; }

    /// <summary>Why its job failed (fault injection); <c>null</c> while it has not.</summary>
    public string? Failure { get; set; }

    /// <summary>Exceptions of its job, newest first (<c>GET …/exceptions</c> returns the last 10).</summary>
    public List<(string Name, string Message, DateTimeOffset At)> Exceptions { get; } = [];

    /// <summary>
    /// The phase at <paramref name="now"/>: FAILED (compile error or failed job), STOPPED, PENDING for
    /// <paramref name="startDuration"/> after submission, then COMPLETED (bounded) or RUNNING (unbounded).
    /// </summary>
    public string Phase(DateTimeOffset now, TimeSpan startDuration)
    {
        if (Compilation.Error is not null || Failure is not null) return "FAILED";
        if (StoppedAt is not null) return "STOPPED";
        if (now < RunSince + startDuration) return "PENDING";
        return Compilation.IsBounded ? "COMPLETED" : "RUNNING";
    }
}

/// <summary>What a statement's SQL is: its kind, whether it ends by itself, or why it does not compile.</summary>
/// <param name="SqlKind">E.g. <c>INSERT_INTO</c>, <c>SELECT</c>, <c>CREATE_TABLE</c>.</param>
/// <param name="IsBounded">Whether the statement ends by itself (COMPLETED) rather than running until stopped.</param>
/// <param name="Error">The compile error (<c>status.detail</c>), or <c>null</c>.</param>
/// <param name="Effect">What a DDL statement does to the catalog once accepted (create or drop a table).</param>
internal sealed record SqlCompilation(string SqlKind, bool IsBounded, string? Error, Action? Effect = null)
{
    public static SqlCompilation Failed(string error) => new("UNKNOWN", true, error);
}

/// <summary>
/// A deliberately tiny stand-in for Flink's SQL planner: it knows statement kinds by their first keywords and checks
/// that every table an INSERT, SELECT or DROP names exists in the Kafka catalog's database (the session's
/// <c>sql.current-catalog</c>/<c>sql.current-database</c>, or the name's own qualification). An INSERT or a SELECT from
/// a table runs until stopped; a SELECT with LIMIT or without FROM, an INSERT … VALUES, and DDL complete.
/// </summary>
internal static partial class SqlCompiler
{
    private const string DefaultCatalog = "default_catalog";
    private const string DefaultDatabase = "default_database";

    [GeneratedRegex(@"^INSERT\s+(?:INTO|OVERWRITE)\s+(?<table>`[^`]+`(?:\.`[^`]+`)*|[\w.\-]+)\s*(?:\([^)]*\)\s*)?(?<query>.*)$", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Insert();

    // Tables read: after FROM or JOIN (not a table function such as TABLE(…) or LATERAL(…)), and the TABLE argument
    // of a windowing table function: FROM TABLE(TUMBLE(TABLE orders, …)).
    [GeneratedRegex(@"\b(?:FROM|JOIN)\s+(?!(?:TABLE|LATERAL|UNNEST)\s*\()(?<table>`[^`]+`(?:\.`[^`]+`)*|[A-Za-z_][\w.\-]*)|\(\s*TABLE\s+(?<table>`[^`]+`(?:\.`[^`]+`)*|[A-Za-z_][\w.\-]*)", RegexOptions.IgnoreCase)]
    private static partial Regex Sources();

    [GeneratedRegex(@"\bLIMIT\s+\d+", RegexOptions.IgnoreCase)]
    private static partial Regex Limit();

    [GeneratedRegex(@"^(?<verb>CREATE|DROP)\s+(?:TEMPORARY\s+)?TABLE\s+(?:IF\s+(?:NOT\s+)?EXISTS\s+)?(?<table>`[^`]+`(?:\.`[^`]+`)*|[\w.\-]+)", RegexOptions.IgnoreCase)]
    private static partial Regex TableDdl();

    /// <summary>Compiles <paramref name="sql"/> against the catalogs of <paramref name="state"/> and the session <paramref name="properties"/>.</summary>
    public static SqlCompilation Compile(CmfState state, string sql, JsonObject? properties)
    {
        var text = sql.Trim().TrimEnd(';').TrimEnd();
        var catalog = CmfHttp.MapValue(properties, "", "sql.current-catalog") ?? DefaultCatalog;
        var database = CmfHttp.MapValue(properties, "", "sql.current-database") ?? DefaultDatabase;
        var keyword = text.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault()?.ToUpperInvariant() ?? "";

        switch (keyword)
        {
            case "INSERT":
                if (Insert().Match(text) is not { Success: true } insert)
                {
                    return SqlCompilation.Failed("SQL parse failed. Expected INSERT INTO <table> SELECT … at line 1, column 1.");
                }
                var query = insert.Groups["query"].Value.TrimStart();
                if (!StartsWithAny(query, "SELECT", "WITH", "VALUES", "("))
                {
                    var at = insert.Groups["query"].Index + 1;
                    return SqlCompilation.Failed($"SQL parse failed. Encountered \"{FirstToken(query)}\" at line 1, column {at}.");
                }
                var read = SourceTables(text, insert.Groups["query"].Index);
                return Check(state, catalog, database, [insert.Groups["table"], .. read])
                    ?? new SqlCompilation("INSERT_INTO", IsBounded: read.Count == 0, Error: null);

            case "SELECT" or "WITH":
                var sources = SourceTables(text, 0);
                return Check(state, catalog, database, sources)
                    ?? new SqlCompilation("SELECT", IsBounded: sources.Count == 0 || Limit().IsMatch(text), Error: null);

            case "CREATE" or "DROP":
                if (TableDdl().Match(text) is not { Success: true } ddl)
                {
                    var second = text.Split((char[]?)null, 3, StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1)?.ToUpperInvariant() ?? "";
                    return new SqlCompilation($"{keyword}_{second}", IsBounded: true, Error: null);
                }
                var (cat, db, table) = Qualify(ddl.Groups["table"].Value, catalog, database);
                if (Database(state, cat, db) is not { } target)
                {
                    return SqlCompilation.Failed($"SQL validation failed. Database '{cat}'.'{db}' does not exist; set properties sql.current-catalog and sql.current-database.");
                }
                var create = keyword == "CREATE";
                var ifClause = text.Contains(" IF ", StringComparison.OrdinalIgnoreCase);
                if (create && target.Tables.Contains(table) && !ifClause)
                {
                    return SqlCompilation.Failed($"SQL validation failed. Table '{table}' already exists in '{cat}'.'{db}'.");
                }
                if (!create && !target.Tables.Contains(table) && !ifClause)
                {
                    return SqlCompilation.Failed($"SQL validation failed. Table '{table}' does not exist in '{cat}'.'{db}'.");
                }
                return new SqlCompilation(
                    $"{keyword}_TABLE", IsBounded: true, Error: null,
                    create ? () => target.Tables.Add(table) : () => target.Tables.Remove(table));

            case "SHOW" or "DESCRIBE" or "DESC" or "EXPLAIN" or "USE" or "SET" or "RESET" or "ALTER":
                return new SqlCompilation(keyword == "DESC" ? "DESCRIBE" : keyword, IsBounded: true, Error: null);

            default:
                return SqlCompilation.Failed($"SQL parse failed. Encountered \"{FirstToken(text)}\" at line 1, column 1.");
        }
    }

    private static List<Group> SourceTables(string text, int from) =>
        Sources().Matches(text, from)
            .Where(match => match.Value.TrimStart().StartsWith('(') || !InsideFunctionCall(text, match.Index))
            .Select(match => match.Groups["table"])
            .ToList();

    // Whether position i is inside parentheses that hold no SELECT before it: a function's arguments, as in
    // EXTRACT(YEAR FROM ts) or TRIM(BOTH ' ' FROM name), where FROM names no table.
    private static bool InsideFunctionCall(string text, int i)
    {
        var depth = 0;
        for (var p = i - 1; p >= 0; p--)
        {
            if (text[p] == ')') depth++;
            else if (text[p] == '(' && depth-- == 0)
            {
                return !text.AsSpan(p, i - p).Contains("SELECT", StringComparison.OrdinalIgnoreCase);
            }
        }
        return false;
    }

    // The first table that does not exist, as Flink's validator reports it.
    private static SqlCompilation? Check(CmfState state, string catalog, string database, IEnumerable<Group> tables)
    {
        foreach (var group in tables)
        {
            var (cat, db, table) = Qualify(group.Value, catalog, database);
            if (Database(state, cat, db)?.Tables.Contains(table) == true) continue;
            var hint = state.Catalogs.Count > 0 && !state.Catalogs.ContainsKey(catalog)
                ? $" (set properties sql.current-catalog and sql.current-database, e.g. {state.Catalogs.Keys.First()})"
                : "";
            return SqlCompilation.Failed(
                $"SQL validation failed. From line 1, column {group.Index + 1} to line 1, column {group.Index + group.Length}: "
                + $"Object '{table}' not found within '{cat}'.'{db}'{hint}.");
        }
        return null;
    }

    private static CmfDatabase? Database(CmfState state, string catalog, string database) =>
        state.Catalogs.GetValueOrDefault(catalog)?.Databases.GetValueOrDefault(database);

    private static (string Catalog, string Database, string Table) Qualify(string name, string catalog, string database)
    {
        var parts = name.Split('.').Select(part => part.Trim('`')).ToArray();
        return parts.Length switch
        {
            >= 3 => (parts[^3], parts[^2], parts[^1]),
            2 => (catalog, parts[0], parts[1]),
            _ => (catalog, database, parts[0]),
        };
    }

    private static bool StartsWithAny(string text, params string[] prefixes) =>
        prefixes.Any(prefix => text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase));

    private static string FirstToken(string text) =>
        text.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "<EOF>";
}
