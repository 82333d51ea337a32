using ModelSelection.Models;

namespace ModelSelection.Import.Families;

/// <summary>What a family reader makes of a config: the family name, the shape and the tensors.</summary>
internal sealed record ImportedModel(string Family, ModelArchitecture Architecture, TensorInventory Inventory);
