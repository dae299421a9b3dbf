using FlinkOpsBot.Core.Approvals;
using FlinkOpsBot.Core.Authorization;
using FlinkOpsBot.Core.Recipes;
using Microsoft.Extensions.Options;

namespace FlinkOpsBot.Host.Composition;

/// <summary>
/// Checks <see cref="AuthorizationOptions"/> (section <c>Authorization</c>) at start, with messages that name the
/// setting: unknown groups and recipes, loops between groups, rules nobody could approve, and a <c>Gate:Approvers</c>
/// list left over without any rule (which, with changes denied by default, would refuse every request).
/// </summary>
internal sealed class AuthorizationOptionsValidator(RecipeCatalog recipes, IOptions<GatePolicy> gate) : IValidateOptions<AuthorizationOptions>
{
    /// <summary>Mutating commands other than recipes that rules may name (e.g. explicit locks).</summary>
    internal static readonly string[] OtherActions = ["lock"];

    public ValidateOptionsResult Validate(string? name, AuthorizationOptions options)
    {
        var problems = options.Problems(recipes.All.Select(r => r.Id).ToList(), OtherActions).ToList();
        if (options.Rules.Count == 0 && gate.Value.Approvers.Any(a => !string.IsNullOrWhiteSpace(a)))
        {
            problems.Add("Gate:Approvers is set but Authorization:Rules is empty, so every change would be refused (changes are denied unless a rule " +
                "allows them). Move the approvers into a rule, e.g. Authorization:Rules:0:Requesters:0=* and Authorization:Rules:0:Approvers:0=" +
                $"{gate.Value.Approvers[0]} (docs/authorization.md).");
        }
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}
