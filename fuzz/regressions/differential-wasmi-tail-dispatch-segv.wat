(module
  (type (;0;) (func (param f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64 f64 f64 f64 f64 f64 f64 i32)))
  (func (;0;) (type 0) (param f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64 f64 f64 f64 f64 f64 f64 i32)
    global.get 0
    i32.eqz
    if
      unreachable
    end
    global.get 0
    i32.const 1
    i32.sub
    global.set 0
    f64.const -0x1.bb3p-143
    f64.const 0x0.0000003ffffffp-1022
    f64.const -0x1.eee2811b7b71p+739
    f64.const 0x1.777b7b710ffffp+888
    f64.const -0x1.eeeeeeee5110cp+1023
    f64.const -nan:0xfffdfffffffff
    f64.const 0x0.0000003ffffffp-1022
    i32.const 16777216
  )
  (func (;1;) (type 0) (param f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64 f64 f64 f64 f64 f64 f64 i32)
    (local f64)
    (local i32)
    (local i32)
    (local f32)
    (local f32)
    (local f32)
    (local f32 f32)
    (local f64 f64)
    global.get 0
    i32.eqz
    if
      unreachable
    end
    global.get 0
    i32.const 1
    i32.sub
    global.set 0
    i64.const 4194619492136336581
    f32.convert_i64_u
    f32.sqrt
    local.tee 23
    f32.const nan
    local.get 23
    local.get 23
    f32.eq
    select
    i64.trunc_sat_f32_u
    loop (result i64)
      global.get 0
      i32.eqz
      if
        unreachable
      end
      global.get 0
      i32.const 1
      i32.sub
      global.set 0
      i64.const -7957419012574309999
      i64.clz
      nop
      i64.clz
      i64.clz
      i64.clz
      i64.clz
      i64.clz
      i64.clz
      i32.wrap_i64
      local.get 2
      local.set 3
      local.get 2
      local.set 3
      local.get 2
      local.set 3
      local.get 2
      local.set 3
      local.get 2
      local.set 3
      local.get 2
      local.set 3
      local.get 2
      local.set 3
      local.get 2
      local.set 3
      local.get 2
      local.set 3
      local.set 22
      local.get 7
      data.drop 0
      v128.const i32x4 0x91747474 0x91919191 0x91919191 0xbcbcbcbc
      i32.const 32
      local.set 22
      local.get 7
      v128.const i32x4 0x74917474 0x4e4e743e 0x917c914e 0x9f9f9f00
      f32.const 0x0.002p-126
      f64.const -nan:0xfffdfffffffff
      local.set 3
      f64.const -nan:0xfffdfffffffff
      i32.const 128
      local.tee 22
      local.get 2
      local.set 3
      f32.reinterpret_i32
      i64.trunc_sat_f32_s
      f32.convert_i64_s
      local.tee 26
      local.set 27
      f32.const nan
      local.get 27
      local.get 26
      local.get 26
      f32.ne
      select
      i32.reinterpret_f32
      local.set 22
      data.drop 0
      data.drop 0
      nop
      data.drop 0
      data.drop 0
      data.drop 0
      data.drop 0
      data.drop 0
      data.drop 0
      local.set 3
      f64.const -nan:0xfffdfffffffff
      local.set 3
      f64.const -nan:0xfffdfffffffff
      local.set 3
      f64.const -nan:0xfffdfffffffff
      local.set 3
      f64.const -nan:0xfffdfffffffff
      local.set 3
      f64.const -nan:0xfffdfffffffff
      local.set 3
      f64.const -nan:0xfffdfffffffff
      local.set 3
      f64.const 0x0.0ffffffffffffp-1022
      i32.trunc_sat_f64_s
      f32.reinterpret_i32
      f32.mul
      local.tee 24
      f32.const nan
      local.get 24
      local.get 24
      f32.eq
      select
      i64.trunc_sat_f32_s
      block
        br 1
        ref.null func
        ref.is_null
        i64.extend_i32_s
        br 0
        f32.convert_i64_s
        f32.nearest
        local.tee 25
        f32.const nan
        local.get 25
        local.get 25
        f32.eq
        select
        i64.trunc_sat_f32_s
        block
          block
            block
              block
                block
                  block
                    block
                      block
                        block
                        end
                        local.get 2
                        f64.const 0x0.008p-1022
                        f64.gt
                        br 9
                        i64.const 868082074056920076
                        f64.convert_i64_s
                        f64.const 0x0.008p-1022
                        br 2
                        br 2
                        local.get 0
                        drop
                        drop
                        drop
                        drop
                      end
                    end
                  end
                end
              end
            end
          end
        end
        drop
      end
      drop
      drop
      drop
      drop
      drop
      i64.const 0
    end
    drop
    drop
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    i32.const 0
  )
  (func (;2;) (type 0) (param f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64 f64 f64 f64 f64 f64 f64 i32)
    global.get 0
    i32.eqz
    if
      unreachable
    end
    global.get 0
    i32.const 1
    i32.sub
    global.set 0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    i32.const 0
  )
  (func (;3;) (type 0) (param f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64 f64 f64 f64 f64 f64 f64 i32)
    global.get 0
    i32.eqz
    if
      unreachable
    end
    global.get 0
    i32.const 1
    i32.sub
    global.set 0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    i32.const 0
  )
  (func (;4;) (type 0) (param f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64 f64 f64 f64 f64 f64 f64 i32)
    global.get 0
    i32.eqz
    if
      unreachable
    end
    global.get 0
    i32.const 1
    i32.sub
    global.set 0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    i32.const 0
  )
  (func (;5;) (type 0) (param f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64 f64 f64 f64 f64 f64 f64 i32)
    global.get 0
    i32.eqz
    if
      unreachable
    end
    global.get 0
    i32.const 1
    i32.sub
    global.set 0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    i32.const 0
  )
  (func (;6;) (type 0) (param f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64 f64 f64 f64 f64 f64 f64 i32)
    global.get 0
    i32.eqz
    if
      unreachable
    end
    global.get 0
    i32.const 1
    i32.sub
    global.set 0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    i32.const 0
  )
  (func (;7;) (type 0) (param f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64 f64 f64 f64 f64 f64 f64 i32)
    global.get 0
    i32.eqz
    if
      unreachable
    end
    global.get 0
    i32.const 1
    i32.sub
    global.set 0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    i32.const 0
  )
  (func (;8;) (type 0) (param f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64 f64 f64 f64 f64 f64 f64 i32)
    global.get 0
    i32.eqz
    if
      unreachable
    end
    global.get 0
    i32.const 1
    i32.sub
    global.set 0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    i32.const 0
  )
  (func (;9;) (type 0) (param f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64 f64 f64 f64 f64 f64 f64 i32)
    global.get 0
    i32.eqz
    if
      unreachable
    end
    global.get 0
    i32.const 1
    i32.sub
    global.set 0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    i32.const 0
  )
  (func (;10;) (type 0) (param f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64 f64 f64 f64 f64 f64 f64 i32)
    global.get 0
    i32.eqz
    if
      unreachable
    end
    global.get 0
    i32.const 1
    i32.sub
    global.set 0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    i32.const 0
  )
  (func (;11;) (type 0) (param f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64 f64 f64 f64 f64 f64 f64 i32)
    global.get 0
    i32.eqz
    if
      unreachable
    end
    global.get 0
    i32.const 1
    i32.sub
    global.set 0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    i32.const 0
  )
  (func (;12;) (type 0) (param f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64 f64 f64 f64 f64 f64 f64 i32)
    global.get 0
    i32.eqz
    if
      unreachable
    end
    global.get 0
    i32.const 1
    i32.sub
    global.set 0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    i32.const 0
  )
  (func (;13;) (type 0) (param f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64 f64 f64 f64 f64 f64 f64 i32)
    global.get 0
    i32.eqz
    if
      unreachable
    end
    global.get 0
    i32.const 1
    i32.sub
    global.set 0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    i32.const 0
  )
  (func (;14;) (type 0) (param f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64 f64 f64 f64 f64 f64 f64 i32)
    global.get 0
    i32.eqz
    if
      unreachable
    end
    global.get 0
    i32.const 1
    i32.sub
    global.set 0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    i32.const 0
  )
  (func (;15;) (type 0) (param f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64 f64 f64 f64 f64 f64 f64 i32)
    global.get 0
    i32.eqz
    if
      unreachable
    end
    global.get 0
    i32.const 1
    i32.sub
    global.set 0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    i32.const 0
  )
  (func (;16;) (type 0) (param f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64 f64 f64 f64 f64 f64 f64 i32)
    global.get 0
    i32.eqz
    if
      unreachable
    end
    global.get 0
    i32.const 1
    i32.sub
    global.set 0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    f64.const 0x0p+0
    i32.const 0
  )
  (global (;0;) (mut i32) i32.const 3584)
  (export "\00\00\00\00" (func 0))
  (export "" (func 1))
  (export "2" (func 2))
  (export "3" (func 3))
  (export "4" (func 4))
  (export "5" (func 5))
  (export "6" (func 6))
  (export "7" (func 7))
  (export "8" (func 8))
  (export "9" (func 9))
  (export "10" (func 10))
  (export "11" (func 11))
  (export "12" (func 12))
  (export "13" (func 13))
  (export "14" (func 14))
  (export "15" (func 15))
  (export "16" (func 16))
  (export "__wvm_fuzz_fuel" (global 0))
  (data (;0;) "\b7")
)
