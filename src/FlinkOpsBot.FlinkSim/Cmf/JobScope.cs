namespace FlinkOpsBot.FlinkSim.Cmf;

/// <summary>
/// Which Flink cluster a request sees. In CMF every application runs on a Flink cluster of its own; FlinkSim runs
/// the jobs of all applications in its one simulation and tags each with its application's scope
/// (<c>&lt;environment&gt;/&lt;application&gt;</c>). Flink's job lists (<c>/jobs</c>, <c>/jobs/overview</c>,
/// <c>/overview</c>) show the jobs of the current scope only: the plain Flink REST API (scope <c>null</c>) does not
/// list CMF-backed jobs, and an application's <c>flink-web-ui</c> proxy lists that application's jobs only.
/// </summary>
internal static class JobScope
{
    private static readonly AsyncLocal<string?> Scope = new();

    /// <summary>The scope of the request being handled; <c>null</c> for the plain Flink REST API.</summary>
    public static string? Current
    {
        get => Scope.Value;
        set => Scope.Value = value;
    }

    /// <summary>The scope of the application <paramref name="application"/> in environment <paramref name="environment"/>.</summary>
    public static string Of(string environment, string application) => $"{environment}/{application}";
}
