using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Plans;
using FlinkOpsBot.Core.Recipes;
using FlinkOpsBot.Core.Steps;

namespace FlinkOpsBot.Core.Tests.Plans;

/// <summary>Recipe facts in the plan, and the step conditions recipes may name.</summary>
public class PlanFactsTests
{
    private static readonly RunPlan Plan = new(
        "redeploy", "demo", "payments-fraud-detector", "3f2a9c1b3f2a9c1b3f2a9c1b3f2a9c1b", null, null, null, null, null, false, null,
        ["cancel-job: Cancel the current job if it runs"], [], [new("job-active", "Job has not ended", CheckOutcome.Pass, "active")], null);

    [Fact]
    public void Hash_NoFacts_IsWhatItWasBeforeFactsExisted()
    {
        Assert.DoesNotContain("fact.", PlanHasher.Canonical(Plan), StringComparison.Ordinal);
    }

    [Fact]
    public void Hash_DifferentRestorePoint_DiffersAndTheDiffSaysWhat()
    {
        var a = Plan with { Facts = ["Restore from: s3://sp/savepoint-1 (savepoint)"] };
        var b = Plan with { Facts = ["Restore from: s3://sp/savepoint-2 (savepoint)"] };

        Assert.NotEqual(a.Hash, b.Hash);
        Assert.NotEqual(Plan.Hash, a.Hash);
        Assert.Equal(["No longer: Restore from: s3://sp/savepoint-1 (savepoint)", "Now: Restore from: s3://sp/savepoint-2 (savepoint)"], PlanDiff.Changes(a, b));
    }

    [Theory]
    [InlineData("if: scheduler-adaptiv", "'if: scheduler-adaptiv' names an unknown flag")]
    [InlineData("unless: drop-state", "'unless: drop-state' names an unknown flag")]
    public void Load_StepConditionOnAnUnknownFlag_FailsWithTheKnownFlags(string condition, string problem)
    {
        var loader = new RecipeLoader(CheckLibrary.BuiltIn.Ids, StepLibrary.BuiltIn.Kinds);
        var yaml = $$"""
            id: demo
            title: Demo
            cookbook: "0.0"
            summary: A demo.
            mutating: true
            procedure:
              - step: rescale-in-place
                with: { {{condition}} }
            """;

        var error = Assert.Throws<RecipeLoadException>(() => loader.Load("recipes/demo.yaml", yaml));

        Assert.Contains(problem, error.Message);
        Assert.Contains("known: scheduler-adaptive, drops-state, from-savepoint", error.Message);
    }

    [Fact]
    public void LoadBuiltIn_MutatingRecipes_AllLoadOnFlinkRest()
    {
        var catalog = RecipeCatalog.LoadBuiltIn();

        foreach (var id in new[] { "deploy", "scale", "backfill", "cancel-job", "redeploy", "savepoint", "stop", "resume", "upgrade" })
        {
            var recipe = catalog.Find(id);
            Assert.True(recipe is { Mutating: true }, $"{id} is missing or not mutating");
            Assert.True(recipe.RunsOn("flink-rest"), id);
            Assert.NotEmpty(recipe.Gotchas);
        }
    }
}
