using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Steps;

namespace FlinkOpsBot.Core.Tests.Recipes;

public class RecipeLoaderTests
{
    private static readonly RecipeLoader Loader = new(CheckLibrary.BuiltIn.Ids, StepLibrary.BuiltIn.Kinds);

    private const string Minimal = """
        id: demo
        title: Demo
        cookbook: "0.0"
        summary: A demo.
        mutating: true
        inputs:
          - name: job
            type: job
            positional: true
            required: true
        preconditions:
          - check: job-running
        procedure:
          - step: stop-with-savepoint
            on-failure: abort
        """;

    [Fact]
    public void LoadBuiltIn_UpgradeRecipe_HasTheCookbookSections()
    {
        var upgrade = RecipeCatalog.LoadBuiltIn().Find("upgrade");

        Assert.NotNull(upgrade);
        Assert.True(upgrade.Mutating);
        Assert.Equal(["job-running", "checkpoint-recent", "no-failed-checkpoints", "savepoint-dir-known", "jar-exists", "rollback-target-known", "parallelism-fits",
            "state-compatible"],
            upgrade.Preconditions.Select(p => p.Check));
        Assert.Equal(["stop-with-savepoint", "submit-from-savepoint", "await-running", "await-checkpoint-after-restore"], upgrade.Procedure.Select(s => s.Step));
        Assert.Equal(StepFailureMode.Abort, upgrade.Procedure[0].OnFailure);
        Assert.Equal(["cancel-job", "submit-from-savepoint", "await-running", "await-checkpoint-after-restore"], upgrade.Rollback.Select(s => s.Step));
        Assert.Equal(TimeSpan.FromMinutes(10), upgrade.Validation.Window);
        Assert.Equal(TimeSpan.FromMinutes(30), upgrade.Gate.Lifetime);
        Assert.Equal(1, upgrade.Gate.Approvals);
        Assert.False(upgrade.Gate.SelfApproval);
        Assert.NotEmpty(upgrade.Manual);
        Assert.NotEmpty(upgrade.Gotchas);
        Assert.Equal("/flink upgrade <job> --jar <jar> [--parallelism N] [--savepoint-dir <uri>] [--allow-non-restored-state] [--from-scratch] [--rollback-jar <jar>] [--cluster <cluster>]", upgrade.Usage);
    }

    [Fact]
    public void Load_MinimalRecipe_Parses()
    {
        var recipe = Loader.Load("recipes/demo.yaml", Minimal);

        Assert.Equal("demo", recipe.Id);
        Assert.Equal("job", recipe.PositionalInput?.Name);
    }

    [Theory]
    [InlineData("  - check: job-runing", 12, "unknown check 'job-runing'")]
    [InlineData("  - step: stop-with-savepont", 14, "unknown step 'stop-with-savepont'")]
    [InlineData("    type: jobb", 8, "unknown input type 'jobb'")]
    [InlineData("    on-failure: explode", 15, "on-failure must be 'rollback' or 'abort'")]
    public void Load_TypoInRecipe_NamesFileLineAndProblem(string replacementLine, int expectedLine, string expectedProblem)
    {
        var lines = Minimal.Split('\n');
        var index = expectedLine - 1;
        lines[index] = replacementLine;

        var error = Assert.Throws<RecipeLoadException>(() => Loader.Load("recipes/demo.yaml", string.Join('\n', lines)));

        Assert.Equal("recipes/demo.yaml", error.File);
        Assert.Equal(expectedLine, error.Line);
        Assert.Contains(expectedProblem, error.Message);
        Assert.StartsWith($"recipes/demo.yaml:{expectedLine}: ", error.Message);
    }

    [Fact]
    public void Load_InvalidYaml_ReportsTheLine()
    {
        var error = Assert.Throws<RecipeLoadException>(() => Loader.Load("recipes/bad.yaml", "id: x\ntitle: [unclosed\nsummary: y\n"));

        Assert.Contains("not valid YAML", error.Message);
        Assert.InRange(error.Line, 2, 4);
    }

    [Fact]
    public void Load_MissingRequiredKey_SaysWhich()
    {
        var error = Assert.Throws<RecipeLoadException>(() => Loader.Load("r.yaml", Minimal.Replace("title: Demo\n", "")));

        Assert.Contains("'title' is required", error.Message);
    }

    [Fact]
    public void Load_UnknownTopLevelKey_IsRefused()
    {
        var error = Assert.Throws<RecipeLoadException>(() => Loader.Load("r.yaml", Minimal + "\nprocedur:\n  - step: cancel-job\n"));

        Assert.Contains("unknown recipe key 'procedur'", error.Message);
        Assert.Equal(16, error.Line);
    }

    [Theory]
    [InlineData("5m", 300)]
    [InlineData("30s", 30)]
    [InlineData("2h", 7200)]
    [InlineData("500ms", 0.5)]
    public void Durations_TryParse_ReadsUnits(string text, double seconds)
    {
        Assert.True(Durations.TryParse(text, out var d));
        Assert.Equal(TimeSpan.FromSeconds(seconds), d);
    }

    [Theory]
    [InlineData("5")]
    [InlineData("m")]
    [InlineData("5 minutes")]
    [InlineData("-5m")]
    public void Durations_TryParse_RefusesOtherText(string text) => Assert.False(Durations.TryParse(text, out _));
}
