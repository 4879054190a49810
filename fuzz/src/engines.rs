//! Runs a [`Plan`] in wvm and in `wasmi`, reporting an [`Outcome`] each (the `differential`
//! target; see [`crate::differential`]).

use crate::differential::{
    features, CallOutcome, Kind, Options, Outcome, Plan, FUEL_EXPORT, MAX_CALL_DEPTH, MEMORY_LIMIT,
    TABLE_LIMIT, V,
};

fn wvm_kind(e: &wvm::Error) -> Kind {
    use wvm::TrapCode as T;
    match e.trap_code() {
        Some(T::Unreachable) => Kind::Unreachable,
        Some(T::MemoryOutOfBounds | T::DataSegmentOutOfBounds) => Kind::MemoryOob,
        Some(T::TableOutOfBounds | T::UndefinedElement | T::ElemSegmentOutOfBounds) => {
            Kind::TableOob
        }
        Some(T::UninitializedElement) => Kind::IndirectNull,
        Some(T::IntegerDivideByZero) => Kind::DivByZero,
        Some(T::IntegerOverflow) => Kind::IntOverflow,
        Some(T::InvalidConversionToInteger) => Kind::BadConversion,
        Some(T::IndirectCallTypeMismatch) => Kind::BadSignature,
        Some(T::StackOverflow) => Kind::StackOverflow,
        Some(T::OutOfFuel) => Kind::OutOfFuel,
        _ => Kind::Other(e.to_string()),
    }
}

fn wasmi_kind(e: &wasmi::Error) -> Kind {
    use wasmi::TrapCode as T;
    match e.as_trap_code() {
        Some(T::UnreachableCodeReached) => Kind::Unreachable,
        Some(T::MemoryOutOfBounds) => Kind::MemoryOob,
        Some(T::TableOutOfBounds) => Kind::TableOob,
        Some(T::IndirectCallToNull) => Kind::IndirectNull,
        Some(T::IntegerDivisionByZero) => Kind::DivByZero,
        Some(T::IntegerOverflow) => Kind::IntOverflow,
        Some(T::BadConversionToInteger) => Kind::BadConversion,
        Some(T::BadSignature) => Kind::BadSignature,
        Some(T::StackOverflow) => Kind::StackOverflow,
        Some(T::OutOfFuel) => Kind::OutOfFuel,
        _ => {
            // Instantiation reports a segment that does not fit as a table or memory error
            // with a message, not as a trap code.
            let m = e.to_string();
            if m.starts_with("out of bounds table access") {
                Kind::TableOob
            } else if m.starts_with("out of bounds memory access") {
                Kind::MemoryOob
            } else {
                Kind::Other(m)
            }
        }
    }
}

/// Export names by kind, in export order.
fn export_names(wasm: &[u8], simd: bool, kind: wvm_binary::ExternKind) -> Vec<String> {
    match wvm_binary::decode(wasm, &features(simd)) {
        Ok(m) => m
            .exports
            .iter()
            .filter(|e| e.kind == kind)
            .map(|e| e.name.clone())
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn from_wvm(v: &wvm::Val) -> V {
    match v {
        wvm::Val::I32(x) => V::I32(*x),
        wvm::Val::I64(x) => V::I64(*x),
        wvm::Val::F32(x) => V::F32(*x),
        wvm::Val::F64(x) => V::F64(*x),
        wvm::Val::V128(x) => V::V128(*x),
        wvm::Val::FuncRef(f) => V::Ref { null: f.is_none() },
        wvm::Val::ExternRef(r) => V::Ref { null: r.is_none() },
    }
}

fn to_wvm(v: &V, ty: wvm::ValType) -> wvm::Val {
    match v {
        V::I32(x) => wvm::Val::I32(*x),
        V::I64(x) => wvm::Val::I64(*x),
        V::F32(x) => wvm::Val::F32(*x),
        V::F64(x) => wvm::Val::F64(*x),
        V::V128(x) => wvm::Val::V128(*x),
        V::Ref { .. } => wvm::Val::default_for(ty),
    }
}

/// Runs the plan in wvm.
pub fn run_wvm(wasm: &[u8], o: &Options, plan: &Plan) -> Outcome {
    let mut config = wvm::Config::new();
    config
        .wasm_features(features(o.simd))
        .max_call_depth(MAX_CALL_DEPTH)
        .consume_fuel(o.wvm_fuel)
        .canonicalize_nans(o.wvm_canonicalize);
    let engine = wvm::Engine::new(&config);
    let module = match wvm::Module::new(&engine, wasm) {
        Ok(m) => m,
        Err(e) => return Outcome::CompileError(e.to_string()),
    };
    let limits = wvm::StoreLimitsBuilder::new()
        .memory_size(MEMORY_LIMIT)
        .table_elements(TABLE_LIMIT)
        .build();
    let mut store = wvm::Store::new(&engine, limits);
    store.limiter(|l| l);
    if o.wvm_fuel && store.set_fuel(u64::MAX / 4).is_err() {
        return Outcome::CompileError("set_fuel refused".into());
    }
    let instance = match wvm::Instance::new(&mut store, &module, &[]) {
        Ok(i) => i,
        Err(e) => return Outcome::InstantiateError(wvm_kind(&e)),
    };
    let counter = instance.get_global(&store, FUEL_EXPORT);
    let mut calls = Vec::new();
    for (name, args) in &plan.calls {
        if let Some(g) = counter {
            let _ = g.set(&mut store, wvm::Val::I32(o.budget));
        }
        let Some(f) = instance.get_func(&store, name) else {
            calls.push((
                name.clone(),
                CallOutcome::Trapped {
                    kind: Kind::Other("export missing".into()),
                    fuel: None,
                },
            ));
            continue;
        };
        let ty = f.ty(&store);
        let params: Vec<wvm::Val> = args
            .iter()
            .zip(ty.params.iter())
            .map(|(v, t)| to_wvm(v, *t))
            .collect();
        let mut results: Vec<wvm::Val> = ty
            .results
            .iter()
            .map(|t| wvm::Val::default_for(*t))
            .collect();
        let r = f.call(&mut store, &params, &mut results);
        let fuel = counter.and_then(|g| g.get(&store).i32());
        let outcome = match r {
            Ok(()) => CallOutcome::Returned {
                results: results.iter().map(from_wvm).collect(),
                fuel,
            },
            Err(e) => CallOutcome::Trapped {
                kind: wvm_kind(&e),
                fuel,
            },
        };
        let stop = matches!(
            &outcome,
            CallOutcome::Trapped {
                kind: Kind::StackOverflow | Kind::OutOfFuel,
                ..
            }
        );
        calls.push((name.clone(), outcome));
        if stop {
            break;
        }
    }
    let kind = wvm_binary::ExternKind::Memory;
    let memories = export_names(wasm, o.simd, kind)
        .into_iter()
        .map(|n| {
            let data = instance
                .get_memory(&store, &n)
                .map(|m| m.data(&store).to_vec())
                .unwrap_or_default();
            (n, data)
        })
        .collect();
    let globals = export_names(wasm, o.simd, wvm_binary::ExternKind::Global)
        .into_iter()
        .map(|n| {
            let v = instance
                .get_global(&store, &n)
                .map(|g| from_wvm(&g.get(&store)))
                .unwrap_or(V::Ref { null: true });
            (n, v)
        })
        .collect();
    let tables = export_names(wasm, o.simd, wvm_binary::ExternKind::Table)
        .into_iter()
        .map(|n| {
            let nulls = match instance.get_table(&store, &n) {
                Some(t) => (0..t.size(&store))
                    .map(|i| t.get(&store, i).map(|v| from_wvm(&v)) != Some(V::Ref { null: false }))
                    .collect(),
                None => Vec::new(),
            };
            (n, nulls)
        })
        .collect();
    Outcome::Ran {
        calls,
        memories,
        globals,
        tables,
    }
}

fn from_wasmi(v: &wasmi::Val) -> V {
    match v {
        wasmi::Val::I32(x) => V::I32(*x),
        wasmi::Val::I64(x) => V::I64(*x),
        wasmi::Val::F32(x) => V::F32(x.to_bits()),
        wasmi::Val::F64(x) => V::F64(x.to_bits()),
        wasmi::Val::V128(x) => V::V128(x.as_u128()),
        wasmi::Val::FuncRef(f) => V::Ref { null: f.is_null() },
        wasmi::Val::ExternRef(r) => V::Ref { null: r.is_null() },
    }
}

fn to_wasmi(v: &V, ty: wasmi::ValType) -> wasmi::Val {
    match v {
        V::I32(x) => wasmi::Val::I32(*x),
        V::I64(x) => wasmi::Val::I64(*x),
        V::F32(x) => wasmi::Val::F32(wasmi::F32::from_bits(*x)),
        V::F64(x) => wasmi::Val::F64(wasmi::F64::from_bits(*x)),
        V::V128(x) => wasmi::Val::V128(wasmi::V128::from(*x)),
        V::Ref { .. } => wasmi::Val::default_for_ty(ty),
    }
}

/// Runs the plan in `wasmi`.
pub fn run_wasmi(wasm: &[u8], o: &Options, plan: &Plan) -> Outcome {
    let mut config = wasmi::Config::default();
    config
        .wasm_simd(o.simd)
        .wasm_tail_call(false)
        .wasm_extended_const(false)
        .wasm_memory64(false)
        .wasm_multi_memory(false)
        .wasm_custom_page_sizes(false)
        .wasm_wide_arithmetic(false)
        .set_max_recursion_depth(MAX_CALL_DEPTH)
        .set_max_stack_height(64 << 20)
        .compilation_mode(wasmi::CompilationMode::Eager);
    let engine = wasmi::Engine::new(&config);
    let module = match wasmi::Module::new(&engine, wasm) {
        Ok(m) => m,
        Err(e) => return Outcome::CompileError(e.to_string()),
    };
    let limits = wasmi::StoreLimitsBuilder::new()
        .memory_size(MEMORY_LIMIT)
        .table_elements(TABLE_LIMIT)
        .build();
    let mut store = wasmi::Store::new(&engine, limits);
    store.limiter(|l| l);
    let instance = match wasmi::Instance::new(&mut store, &module, &[]) {
        Ok(i) => i,
        Err(e) => return Outcome::InstantiateError(wasmi_kind(&e)),
    };
    let counter = instance.get_global(&store, FUEL_EXPORT);
    let mut calls = Vec::new();
    for (name, args) in &plan.calls {
        if let Some(g) = counter {
            let _ = g.set(&mut store, wasmi::Val::I32(o.budget));
        }
        let Some(f) = instance.get_func(&store, name) else {
            calls.push((
                name.clone(),
                CallOutcome::Trapped {
                    kind: Kind::Other("export missing".into()),
                    fuel: None,
                },
            ));
            continue;
        };
        let ty = f.ty(&store);
        let params: Vec<wasmi::Val> = args
            .iter()
            .zip(ty.params().iter())
            .map(|(v, t)| to_wasmi(v, *t))
            .collect();
        let mut results: Vec<wasmi::Val> = ty
            .results()
            .iter()
            .map(|t| wasmi::Val::default_for_ty(*t))
            .collect();
        let r = f.call(&mut store, &params, &mut results);
        let fuel = counter.and_then(|g| g.get(&store).i32());
        let outcome = match r {
            Ok(()) => CallOutcome::Returned {
                results: results.iter().map(from_wasmi).collect(),
                fuel,
            },
            Err(e) => CallOutcome::Trapped {
                kind: wasmi_kind(&e),
                fuel,
            },
        };
        let stop = matches!(
            &outcome,
            CallOutcome::Trapped {
                kind: Kind::StackOverflow | Kind::OutOfFuel,
                ..
            }
        );
        calls.push((name.clone(), outcome));
        if stop {
            break;
        }
    }
    let memories = export_names(wasm, o.simd, wvm_binary::ExternKind::Memory)
        .into_iter()
        .map(|n| {
            let data = instance
                .get_memory(&store, &n)
                .map(|m| m.data(&store).to_vec())
                .unwrap_or_default();
            (n, data)
        })
        .collect();
    let globals = export_names(wasm, o.simd, wvm_binary::ExternKind::Global)
        .into_iter()
        .map(|n| {
            let v = instance
                .get_global(&store, &n)
                .map(|g| from_wasmi(&g.get(&store)))
                .unwrap_or(V::Ref { null: true });
            (n, v)
        })
        .collect();
    let tables = export_names(wasm, o.simd, wvm_binary::ExternKind::Table)
        .into_iter()
        .map(|n| {
            let nulls = match instance.get_table(&store, &n) {
                Some(t) => (0..t.size(&store))
                    .map(|i| t.get(&store, i).is_none_or(|r| r.is_null()))
                    .collect(),
                None => Vec::new(),
            };
            (n, nulls)
        })
        .collect();
    Outcome::Ran {
        calls,
        memories,
        globals,
        tables,
    }
}
