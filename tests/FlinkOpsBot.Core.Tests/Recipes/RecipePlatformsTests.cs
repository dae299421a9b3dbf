using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Commands;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Steps;

namespace FlinkOpsBot.Core.Tests.Recipes;

/// <summary>The recipe sections added for the whole cookbook: platforms, read-only reports, offers, and name inputs.</summary>
public class RecipePlatformsTests
{
    private static readonly RecipeLoader Loader = new(CheckLibrary.BuiltIn.Ids, StepLibrary.BuiltIn.Kinds);

    private const string Report = """
        id: report-demo
        title: Report demo
        cookbook: "0.0"
        summary: A read-only report.
        inputs:
          - name: job
            type: job
            positional: true
            required: true
        report:
          - check: job-running
          - check: checkpoint-recent
        offers:
          - "/flink upgrade {job} --jar <jar> --cluster {cluster}"
        platforms: [flink-rest, cmf]
        """;

    [Fact]
    public void Load_ReadOnlyRecipe_KeepsReportOffersAndPlatforms()
    {
        var recipe = Loader.Load("recipes/report-demo.yaml", Report);

        Assert.False(recipe.Mutating);
        Assert.Equal(["job-running", "checkpoint-recent"], recipe.Report.Select(c => c.Check));
        Assert.Equal(["/flink upgrade {job} --jar <jar> --cluster {cluster}"], recipe.Offers);
        Assert.Equal(["flink-rest", "cmf"], recipe.Platforms);
        Assert.True(recipe.RunsOn("CMF"));
    }

    [Fact]
    public void Load_WithoutPlatforms_RunsOnFlinkRestOnly()
    {
        var recipe = Loader.Load("r.yaml", Report.Replace("platforms: [flink-rest, cmf]", ""));

        Assert.Equal(["flink-rest"], recipe.Platforms);
        Assert.False(recipe.RunsOn("cmf"));
    }

    [Theory]
    [InlineData("platforms: [flink-rest, kubernetes]", "unknown platform 'kubernetes' (known: flink-rest, cmf)")]
    [InlineData("platforms: []", "'platforms' must name at least one platform")]
    [InlineData("platforms: [flink-rest]\nprocedure:\n  - step: cancel-job", "a recipe with a procedure changes the cluster: set 'mutating: true'")]
    [InlineData("platforms: [flink-rest]\nmutating: true\nprocedure:\n  - step: cancel-job", "'report' is for read-only recipes")]
    [InlineData("platforms: [flink-rest]\nreport:\n  - check: job-runing", "unknown check 'job-runing'")]
    public void Load_BadNewSections_AreRefusedWithTheReason(string replacement, string expected)
    {
        var yaml = Report.Replace("platforms: [flink-rest, cmf]", replacement);
        if (replacement.Contains("report:", StringComparison.Ordinal)) yaml = yaml.Replace("report:\n  - check: job-running\n  - check: checkpoint-recent\n", "");

        var error = Assert.Throws<RecipeLoadException>(() => Loader.Load("r.yaml", yaml));

        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("orders-backfill", true)]
    [InlineData("orders.backfill-2", true)]
    [InlineData("a", true)]
    [InlineData("Orders", false)]
    [InlineData("-orders", false)]
    [InlineData("orders-", false)]
    [InlineData("orders..x", false)]
    [InlineData("orders_enricher", false)]
    [InlineData("orders enricher", false)]
    public void IsResourceName_FollowsCmfsNameRule(string name, bool valid) => Assert.Equal(valid, CommandParser.IsResourceName(name));

    [Fact]
    public void Parse_NameInputThatBreaksTheRule_SaysWhatIsAllowed()
    {
        var recipe = Loader.Load("r.yaml", """
            id: make
            title: Make
            cookbook: "0.0"
            summary: Makes something.
            mutating: true
            inputs:
              - name: name
                type: name
                positional: true
                required: true
            procedure:
              - step: cancel-job
            """);
        var parser = new CommandParser(new RecipeCatalog([recipe]));

        var parsed = Assert.IsType<ParsedCommand.Invalid>(parser.Parse("/flink make Orders_Backfill"));

        Assert.Contains("<name> must be lower-case letters, digits, '-' and '.'", parsed.Problem);
        Assert.Contains("'Orders_Backfill'", parsed.Problem);
        Assert.IsType<ParsedCommand.Start>(parser.Parse("/flink make orders-backfill"));
    }
}
