namespace FlinkOpsBot.Testing;

/// <summary>Locates the repository root and the shared reference material beside it.</summary>
public static class RepoPaths
{
    /// <summary>The repository root: the nearest parent folder of the test binaries that holds FlinkOpsBot.sln.</summary>
    public static string Root { get; } = FindRoot();

    /// <summary><c>../shared/reference/specs</c> seen from the repository root.</summary>
    public static string Specs => Path.GetFullPath(Path.Combine(Root, "..", "shared", "reference", "specs"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "FlinkOpsBot.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No FlinkOpsBot.sln above {AppContext.BaseDirectory}.");
    }
}
