using System.Reflection;
using FlinkOpsBot.Core.Checks;
using FlinkOpsBot.Core.Steps;

namespace FlinkOpsBot.Core.Recipes;

/// <summary>The recipes the bot runs, by id.</summary>
public sealed class RecipeCatalog
{
    private const string ResourcePrefix = "FlinkOpsBot.Recipes.";
    private readonly Dictionary<string, Recipe> _recipes;

    /// <summary>Creates a catalog over <paramref name="recipes"/>.</summary>
    /// <exception cref="ArgumentException">Two recipes share an id.</exception>
    public RecipeCatalog(IEnumerable<Recipe> recipes) => _recipes = recipes.ToDictionary(r => r.Id, StringComparer.Ordinal);

    /// <summary>Every recipe, ordered by id.</summary>
    public IEnumerable<Recipe> All => _recipes.Values.OrderBy(r => r.Id, StringComparer.Ordinal);

    /// <summary>The recipe with that id, or null.</summary>
    public Recipe? Find(string id) => _recipes.GetValueOrDefault(id);

    /// <summary>
    /// Loads the built-in recipes (<c>recipes/*.yaml</c>, embedded in this assembly) and validates them against the
    /// built-in check and step libraries.
    /// </summary>
    /// <exception cref="RecipeLoadException">A recipe file is invalid; the message names the file and line.</exception>
    public static RecipeCatalog LoadBuiltIn()
    {
        var loader = new RecipeLoader(CheckLibrary.BuiltIn.Ids, StepLibrary.BuiltIn.Kinds);
        var assembly = typeof(RecipeCatalog).Assembly;
        var recipes = assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name => loader.Load("recipes/" + name[ResourcePrefix.Length..], Read(assembly, name)));
        return new RecipeCatalog(recipes);
    }

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name) ?? throw new InvalidOperationException($"Resource {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
